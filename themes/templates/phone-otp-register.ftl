<#-- The registration action's page: first the number, then the code (or the link) sent to it. -->
<#import "template.ftl" as layout>
<#import "phone-otp-commons.ftl" as phoneOtpUi>
<#assign reg = phoneOtpRegistration>
<@layout.registrationLayout displayMessage=!messagesPerField.existsError('code','phoneNumber'); section>
    <#if section="header">
        ${msg("phoneOtpRegistrationTitle")}
    <#elseif section="form">
        <form id="phone-otp-register-form" class="${properties.kcFormClass!}" action="${url.loginAction}" method="post">
            <#if reg.stage == "enter">
                <#if reg.currentMasked?has_content>
                    <p id="phone-otp-current-number" class="${properties.kcLabelClass!}" style="text-align: start">${msg("phoneOtpCurrentNumber", phoneOtpUi.ltr(reg.currentMasked))}</p>
                </#if>
                <div class="${properties.kcFormGroupClass!}">
                    <div class="${properties.kcLabelWrapperClass!}">
                        <label for="phoneNumber" class="${properties.kcLabelClass!}">${msg("phoneOtpNumberLabel")}</label>
                    </div>
                    <div class="${properties.kcInputWrapperClass!}">
                        <input id="phoneNumber" name="phoneNumber" type="tel" class="${properties.kcInputClass!}"
                               autocomplete="tel" inputmode="tel" autofocus dir="ltr" value="${reg.typed}"
                               <#if reg.example?has_content>placeholder="${reg.example}"</#if>
                               aria-describedby="phone-otp-number-hint"
                               aria-invalid="<#if messagesPerField.existsError('phoneNumber')>true</#if>" />
                        <@phoneOtpUi.fieldError field="phoneNumber"/>
                        <p id="phone-otp-number-hint" class="${properties.kcLabelClass!}" style="text-align: start"><#if reg.example?has_content>${msg("phoneOtpNumberHintNational", phoneOtpUi.ltr(reg.example))}<#else>${msg("phoneOtpNumberHintInternational")}</#if></p>
                    </div>
                </div>
                <@phoneOtpUi.submit id="phone-otp-send-code" label="phoneOtpSendCode"/>
            <#else>
                <#assign delivery = reg.delivery>
                <#assign linkSent = reg.linkStatusUrl?has_content>
                <#assign waitsForLink = linkSent && !reg.linkExpired>
                <p id="phone-otp-sent-to" class="${properties.kcLabelClass!}" style="text-align: start"><#if reg.channel == "voice">${msg("phoneOtpRegistrationCalling", phoneOtpUi.ltr(reg.number))}<#elseif delivery == "link">${msg("phoneOtpRegistrationLinkSent", phoneOtpUi.ltr(reg.number))}<#elseif delivery == "both">${msg("phoneOtpRegistrationCodeLinkSent", phoneOtpUi.ltr(reg.number))}<#else>${msg("phoneOtpRegistrationCodeSent", phoneOtpUi.ltr(reg.number))}</#if></p>
                <p id="phone-otp-number-to-save" class="${properties.kcLabelClass!}" style="text-align: start">${msg("phoneOtpNumberToSave", phoneOtpUi.ltr(reg.number))}</p>
                <@phoneOtpUi.linkState statusUrl=reg.linkStatusUrl expired=reg.linkExpired/>
                <#if delivery == "link" && linkSent>
                    <#if waitsForLink>
                        <@phoneOtpUi.submit id="phone-otp-link-continue" name="linkContinue" label="doContinue"/>
                    </#if>
                <#else>
                    <@phoneOtpUi.codeField codeLength=reg.codeLength/>
                    <@phoneOtpUi.submit id="phone-otp-confirm" label="phoneOtpConfirmNumber"/>
                </#if>
                <div class="${properties.kcFormGroupClass!}">
                    <#if delivery == "both" && waitsForLink>
                        <@phoneOtpUi.secondary id="phone-otp-link-continue" name="linkContinue" label="doContinue"/>
                    </#if>
                    <@phoneOtpUi.resendControls channel=reg.channel otherChannel=reg.otherChannel
                            canResend=reg.canResend resendWaitSeconds=reg.resendWaitSeconds link=(delivery == "link")/>
                    <@phoneOtpUi.secondary id="phone-otp-edit-number" name="edit" label="phoneOtpEditNumber"/>
                </div>
            </#if>
            <#if reg.canCancel>
                <@phoneOtpUi.secondary id="phone-otp-cancel" name="cancel" label="doCancel"/>
            <#elseif isAppInitiatedAction??>
                <@phoneOtpUi.secondary id="kc-cancel" name="cancel-aia" label="doCancel"/>
            </#if>
        </form>
        <#if reg.stage == "verify" && reg.linkStatusUrl?has_content && !reg.linkExpired>
            <script src="${url.resourcesPath}/js/phone-otp-link.js" defer></script>
        </#if>
        <@phoneOtpUi.countdownScript/>
    </#if>
</@layout.registrationLayout>
